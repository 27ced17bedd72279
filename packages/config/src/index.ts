// @dlm/config: YAML experiments: strict zod validation, extends, --set overrides, resolved config.
export {};
