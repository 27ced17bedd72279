// @dlm/losses: Score entropy, MDLM NELBO, LLaDA masked CE, Diffusion-LM e2e, DiffuSeq seq2seq, Difformer anchor loss.
export {};
