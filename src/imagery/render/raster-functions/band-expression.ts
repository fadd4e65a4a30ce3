import { ApiError } from '../../../errors.js';

/** Evaluates a compiled expression for one pixel; `bands[0]` is B1. */
export type BandExpression = (bands: ArrayLike<number>) => number;

export interface CompiledExpression {
  evaluate: BandExpression;
  /** 0-based indexes of the bands the expression reads. */
  bands: number[];
}

const FUNCTIONS: Record<string, { arity: number; fn: (...args: number[]) => number }> = {
  sqrt: { arity: 1, fn: Math.sqrt },
  abs: { arity: 1, fn: Math.abs },
  exp: { arity: 1, fn: Math.exp },
  log: { arity: 1, fn: Math.log },
  log10: { arity: 1, fn: Math.log10 },
  sin: { arity: 1, fn: Math.sin },
  cos: { arity: 1, fn: Math.cos },
  tan: { arity: 1, fn: Math.tan },
  pow: { arity: 2, fn: Math.pow },
  min: { arity: 2, fn: Math.min },
  max: { arity: 2, fn: Math.max },
};

const TOKEN = /\s*(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)|(b\d+)|([a-z][a-z0-9]*)|(\*\*|[-+*/^(),]))/iy;

/**
 * Compiles a BandArithmetic expression (`(B4 - B3) / (B4 + B3)`, Method 0 "user defined"): numbers,
 * bands `B1`…`Bn` (1-based), `+ - * / ^`, parentheses, unary minus and a few functions (sqrt, abs,
 * exp, log, log10, sin, cos, tan, pow, min, max). Anything else is a 400: the text never reaches
 * `eval`, it becomes a tree of closures.
 *
 * @example compileBandExpression('(B4-B3)/(B4+B3)').evaluate([10, 20, 30, 50]) // 0.25
 */
export function compileBandExpression(text: string): CompiledExpression {
  const tokens = tokenize(text);
  const used = new Set<number>();
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string) => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw invalid(text);
    return token;
  };

  const primary = (): BandExpression => {
    const token = take();
    if (token === '(') {
      const inner = sum();
      take(')');
      return inner;
    }
    if (token === '-') {
      const operand = power();
      return (b) => -operand(b);
    }
    if (token === '+') return power();
    if (/^[\d.]/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    if (/^b\d+$/i.test(token)) {
      const index = Number(token.slice(1)) - 1;
      if (index < 0) throw invalid(text);
      used.add(index);
      return (b) => b[index];
    }
    const fn = FUNCTIONS[token.toLowerCase()];
    if (!fn) throw invalid(text);
    take('(');
    const args = [sum()];
    while (peek() === ',') {
      take(',');
      args.push(sum());
    }
    take(')');
    if (args.length !== fn.arity) throw invalid(text);
    return fn.arity === 1 ? (b) => fn.fn(args[0](b)) : (b) => fn.fn(args[0](b), args[1](b));
  };
  const power = (): BandExpression => {
    const base = primary();
    if (peek() !== '^' && peek() !== '**') return base;
    take();
    const exponent = power();
    return (b) => Math.pow(base(b), exponent(b));
  };
  const product = (): BandExpression => {
    let left = power();
    while (peek() === '*' || peek() === '/') {
      const op = take();
      const l = left;
      const r = power();
      left = op === '*' ? (b) => l(b) * r(b) : (b) => l(b) / r(b);
    }
    return left;
  };
  const sum = (): BandExpression => {
    let left = product();
    while (peek() === '+' || peek() === '-') {
      const op = take();
      const l = left;
      const r = product();
      left = op === '+' ? (b) => l(b) + r(b) : (b) => l(b) - r(b);
    }
    return left;
  };

  const evaluate = sum();
  if (position !== tokens.length) throw invalid(text);
  return { evaluate, bands: [...used].sort((a, b) => a - b) };
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const match = TOKEN.exec(text);
    if (!match) throw invalid(text);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  if (tokens.length === 0 || tokens.length > 500) throw invalid(text);
  return tokens;
}

function invalid(text: string): ApiError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return ApiError.invalidParameter(`'renderingRule' parameter is invalid: cannot read the band expression '${shown}'`);
}
