/** Parsers of the scripts' numeric options: a value out of range stops the script with commander's usage error. */
import { InvalidArgumentError } from 'commander';

/** A number from `min` to `max`, fractions allowed (rates, shares). */
export const numberBetween = (min: number, max: number) => (text: string) => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
  }
  return value;
};

/** A whole number from `min` to `max` (counts, seconds). */
export const wholeNumberBetween = (min: number, max: number) => (text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  }
  return value;
};
