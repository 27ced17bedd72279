// Token-id and size checks for loss inputs (a wrong id would silently gather a wrong or NaN value).
export { assertTokenIds, assertSize } from '@dlm/core';
