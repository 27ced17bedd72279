export { EmbeddingTransformer } from './embedding-transformer.ts';
export { bertLayer, type BertLayerDropout } from './bert-layer.ts';
export { createEmbeddingTransformerParams, bertLayerPrefix } from './params.ts';
export { resolveEmbeddingTransformerOptions, type EmbeddingTransformerOptions } from './options.ts';
export {
  embeddingTransformerModelSchema,
  EMBEDDING_TRANSFORMER_ACTIVATIONS,
  type EmbeddingTransformerModelConfig,
} from './schema.ts';
export { embeddingTransformerBackbone } from './backbone.ts';
