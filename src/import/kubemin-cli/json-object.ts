import { closest } from '../../diagnostics/did-you-mean.js';
import { quote } from '../../k8s/formats/quote.js';
import { joinPointer } from '../../load/json-pointer.js';
import type { Problems } from './problems.js';

type FieldOf<T> = Extract<keyof T, string>;

/** One item of a JSON array, with its place. */
export interface JsonItem {
  readonly value: unknown;
  readonly pointer: string;
}

/**
 * A JSON object of the input, read field by field with Go's encoding/json rules in mind:
 * `null` is the same as absent, field names match case-insensitively, and KubeMin-Cli's older
 * camelCase spellings (`mountPath` for `mount_path`) are accepted with a warning. Every field that
 * is read is known; {@link finish} reports the others as unknown (dropped). Wrong types are errors.
 */
export class JsonObject<T extends object = Record<string, unknown>> {
  private readonly known = new Set<string>();
  private readonly used = new Set<string>();

  private constructor(
    private readonly value: Record<string, unknown>,
    readonly pointer: string,
    private readonly problems: Problems,
  ) {}

  /** The object at `pointer`; undefined (and an error unless it is null or absent) when it is not one. */
  static read<T extends object>(value: unknown, pointer: string, problems: Problems, what: string): JsonObject<T> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.error(pointer, 'wrong-type', `${what} must be a JSON object, not ${describe(value)}`);
      return undefined;
    }
    return new JsonObject<T>(value as Record<string, unknown>, pointer, problems);
  }

  /** Each object of an array (a trait's entries); undefined (and an error) when `value` is not an array. */
  static readArray<T extends object>(value: unknown, pointer: string, problems: Problems, what: string): Array<JsonObject<T>> | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      problems.error(pointer, 'wrong-type', `${what} must be a JSON array, not ${describe(value)}`);
      return undefined;
    }
    const out: Array<JsonObject<T>> = [];
    value.forEach((item: unknown, i) => {
      const obj = JsonObject.read<T>(item, joinPointer(pointer, i), problems, `an item of ${what}`);
      if (obj) out.push(obj);
    });
    return out;
  }

  /** The pointer of a field: where it is written, or where it would be. */
  at(field: FieldOf<T>): string {
    return joinPointer(this.pointer, this.locate(field) ?? field);
  }

  /** The field is present and not null. */
  has(field: FieldOf<T>): boolean {
    return this.raw(field) !== undefined;
  }

  /** The raw value (undefined when absent or null). */
  raw(field: FieldOf<T>): unknown {
    const key = this.locate(field);
    if (key === undefined) return undefined;
    this.used.add(key);
    const v = this.value[key];
    return v === null ? undefined : v;
  }

  /** A string; "" counts as unset (Go's zero value) unless `keepEmpty`. */
  string(field: FieldOf<T>, opts: { keepEmpty?: boolean } = {}): string | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return this.wrongType(field, 'a string', v);
    return v === '' && !opts.keepEmpty ? undefined : v;
  }

  /** A whole number (0 is returned: callers decide whether it means unset). */
  int(field: FieldOf<T>): number | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) return this.wrongType(field, 'a whole number', v);
    return v;
  }

  bool(field: FieldOf<T>): boolean | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return this.wrongType(field, 'true or false', v);
    return v;
  }

  stringList(field: FieldOf<T>): string[] | undefined {
    const items = this.array(field);
    if (items === undefined) return undefined;
    const out: string[] = [];
    for (const item of items) {
      if (typeof item.value === 'string') out.push(item.value);
      else this.problems.error(item.pointer, 'wrong-type', `an item of "${field}" must be a string, not ${describe(item.value)}`);
    }
    return out;
  }

  /**
   * A map of strings. Numbers and booleans (which KubeMin-Cli's Go structs refuse) are written as
   * strings, with a warning; with `secret`, values never appear in messages.
   */
  stringMap(field: FieldOf<T>, opts: { secret?: boolean } = {}): Record<string, string> | undefined {
    const raw = this.raw(field);
    if (opts.secret && raw !== undefined && (typeof raw !== 'object' || Array.isArray(raw))) {
      return this.wrongType(field, 'a JSON object', raw, { hideValue: true });
    }
    const obj = JsonObject.read<Record<string, unknown>>(raw, this.at(field), this.problems, `"${field}"`);
    if (obj === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(obj.value)) {
      const pointer = joinPointer(obj.pointer, key);
      if (typeof v === 'string') out[key] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') {
        out[key] = String(v);
        const shown = opts.secret ? '' : ` ${quote(String(v))}`;
        this.problems.warn(pointer, 'not-a-string', `"${key}" is ${describe(v)}, not a string (KubeMin-Cli refuses it); written as the string${shown}`);
      } else if (v !== null) {
        this.problems.error(pointer, 'wrong-type', `"${key}" in "${field}" must be a string, not ${describe(v, opts.secret)}`);
      }
    }
    return out;
  }

  array(field: FieldOf<T>): JsonItem[] | undefined {
    const v = this.raw(field);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) return this.wrongType(field, 'a JSON array', v);
    const base = this.at(field);
    return v.map((value: unknown, i) => ({ value, pointer: joinPointer(base, i) }));
  }

  object<U extends object>(field: FieldOf<T>, what: string = `"${field}"`): JsonObject<U> | undefined {
    return JsonObject.read<U>(this.raw(field), this.at(field), this.problems, what);
  }

  /** Each item of an array of objects; items that are not objects are errors (and left out). */
  objects<U extends object>(field: FieldOf<T>, what: string): Array<JsonObject<U>> | undefined {
    const items = this.array(field);
    if (items === undefined) return undefined;
    const out: Array<JsonObject<U>> = [];
    for (const item of items) {
      if (item.value === null) continue;
      const obj = JsonObject.read<U>(item.value, item.pointer, this.problems, what);
      if (obj) out.push(obj);
    }
    return out;
  }

  /** A known field with no kubemin equivalent: a warning when it is set (not null, "", 0 or false). */
  drop(field: FieldOf<T>, code: string, message: string): void {
    const v = this.raw(field);
    if (v === undefined || v === '' || v === 0 || v === false) return;
    if (typeof v === 'object' && Object.keys(v as object).length === 0) return;
    this.problems.warn(this.at(field), code, message);
  }

  /** A known field that needs no conversion. */
  ignore(field: FieldOf<T>): void {
    this.raw(field);
  }

  /** Warns about every field that was not read: unknown to the importer, dropped. */
  finish(what: string): void {
    for (const key of Object.keys(this.value)) {
      if (this.used.has(key)) continue;
      const guess = closest(key, this.known);
      this.problems.warn(
        joinPointer(this.pointer, key),
        'unknown-field',
        `unknown field "${key}" in ${what} (dropped)${guess ? `; did you mean "${guess}"?` : ''}`,
      );
    }
  }

  /** The key that holds `field`: itself, a case-insensitive match (as Go reads it) or the older camelCase spelling. */
  private locate(field: string): string | undefined {
    this.known.add(field);
    if (Object.hasOwn(this.value, field)) return field;
    const keys = Object.keys(this.value).filter((k) => !this.known.has(k) || k === field);
    const sameCase = keys.find((k) => k.toLowerCase() === field.toLowerCase());
    if (sameCase !== undefined) return sameCase;
    const squash = (s: string): string => s.toLowerCase().replace(/_/g, '');
    const older = keys.find((k) => squash(k) === squash(field));
    if (older !== undefined && !this.used.has(older)) {
      this.used.add(older);
      this.problems.warn(
        joinPointer(this.pointer, older),
        'old-spelling',
        `"${older}" is read as "${field}" (the camelCase spelling of older KubeMin-Cli versions)`,
      );
    }
    return older;
  }

  private wrongType(field: string, expected: string, v: unknown, opts: { hideValue?: boolean } = {}): undefined {
    this.problems.error(this.at(field as FieldOf<T>), 'wrong-type', `"${field}" must be ${expected}, not ${describe(v, opts.hideValue)}`);
    return undefined;
  }
}

/** "the string \"2\"", "the number 3", "an object"... for type errors; "a string" with `hideValue`. */
function describe(v: unknown, hideValue = false): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return hideValue ? 'a string' : `the string ${quote(v)}`;
    case 'number':
      return hideValue ? 'a number' : `the number ${v}`;
    case 'boolean':
      return hideValue ? 'a boolean' : `the boolean ${v}`;
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}
