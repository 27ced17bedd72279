export { AttributeClassifier } from './attribute-classifier.ts';
export {
  attributeClassifierModelSchema,
  resolveAttributeClassifierOptions,
  type AttributeClassifierModelConfig,
  type AttributeClassifierOptions,
} from './schema.ts';
