import '@dlm/core/loader/register.mjs';
await import('./probe.ts');
