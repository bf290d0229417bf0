// class-validator decorators for Berth's own rules, so every input class states them declaratively.
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { dnsLabelProblem, hostnameProblem } from './names.js';
import { imageReferenceProblem } from './image-reference.js';

function rule(name: string, problem: (value: string) => string | undefined, options?: ValidationOptions) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && problem(value) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string' ? (problem(args.value) ?? 'is invalid') : 'must be a string',
      },
    });
  };
}

export const IsDnsLabel = (max: number, options?: ValidationOptions) => rule('isDnsLabel', (v) => dnsLabelProblem(v, max), options);
export const IsHostname = (options?: ValidationOptions) => rule('isHostname', hostnameProblem, options);
export const IsImageReference = (options?: ValidationOptions) => rule('isImageReference', imageReferenceProblem, options);
