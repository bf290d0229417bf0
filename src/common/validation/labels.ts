// Kubernetes-style labels (cluster labels, selectors): a small map of qualified names to values.
import { registerDecorator, type ValidationOptions } from 'class-validator';

const KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export function labelMapProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'must be an object of label keys to string values';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 32) return 'must have at most 32 labels';
  for (const [k, v] of entries) {
    if (!KEY.test(k) || k.length > 253) return `has an invalid label key "${k}"`;
    if (typeof v !== 'string' || !VALUE.test(v)) return `has an invalid value for "${k}" (at most 63 letters, digits, "-", "_", ".")`;
  }
  return undefined;
}

export function IsLabelMap(options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'isLabelMap',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => labelMapProblem(value) === undefined,
        defaultMessage: (args) => labelMapProblem(args?.value) ?? 'is invalid',
      },
    });
  };
}
