// Offline evaluation tasks built from shipped text: `dlm data mc-cloze` and `dlm data next-word`.
export * from './cloze-sites.ts';
export * from './frequency-list.ts';
export * from './word-task.ts';
export * from './mc-cloze.ts';
export * from './next-word.ts';
