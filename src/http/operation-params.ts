import type { HtmlForm } from '../html/render-page.js';
import type { Params } from '../params.js';

export type FormInput = HtmlForm['fields'][number];

/**
 * One parameter of an operation, declared once: how the decoder reads it (by its key in the
 * operation's spec) and how the operation's HTML form offers it.
 */
export interface OperationParam<T, C = unknown> {
  read: (params: Params, name: string, context: C) => T;
  /** The form input; absent: read, but not on the form. */
  input?: Omit<FormInput, 'name'>;
  /** Inputs read together with this one (geometryType beside geometry), shown after it. */
  companions?: FormInput[];
}

/** An operation's parameters by name; `C` is what their readers need besides the parameters (the collection, …). */
export type ParamSpec<C = never> = Record<string, OperationParam<unknown, C>>;

/** The typed values a spec reads: `{ returnGeometry: boolean, maxItemCount: number | undefined, … }`. */
export type ParamValues<S extends ParamSpec> = { [K in keyof S]: ReturnType<S[K]['read']> };

/** Reads every parameter of `spec`, in declaration order (so the first bad one is the one named). */
export function readParams<C, S extends ParamSpec<C>>(spec: S, params: Params, context: C): ParamValues<S> {
  const values: Record<string, unknown> = {};
  for (const [name, param] of Object.entries(spec)) values[name] = param.read(params, name, context);
  return values as ParamValues<S>;
}

/** The HTML form's inputs for `spec`, in declaration order. */
export function formInputs(spec: ParamSpec): FormInput[] {
  return Object.entries(spec).flatMap(([name, param]) => (param.input ? [{ name, ...param.input }, ...(param.companions ?? [])] : []));
}

/** A parameter read by `read`, shown as `input` (a text box unless said otherwise). */
export function param<T, C = unknown>(read: (params: Params, name: string, context: C) => T, input: OperationParam<T, C>['input'] = {}): OperationParam<T, C> {
  return { read, input };
}

/** A parameter the operation reads but its form leaves out. */
export function unlisted<T, C = unknown>(read: (params: Params, name: string, context: C) => T): OperationParam<T, C> {
  return { read };
}

export const boolParam = (fallback: boolean) => param((params, name) => params.bool(name, fallback));
export const intParam = () => param((params, name) => params.int(name));
export const numberParam = () => param((params, name) => params.number(name));
export const textParam = () => param((params, name) => params.string(name));
export const listParam = () => param((params, name) => params.list(name));
