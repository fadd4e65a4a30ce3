import { describe, expect, it } from 'vitest';
import type { Position } from './esri-geometry.js';
import { groupRings, isClockwise, pointInRing, signedArea } from './rings.js';

const square: Position[] = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]];
const hole: Position[] = [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]];
const island: Position[] = [[2.5, 2.5], [2.5, 3.5], [3.5, 3.5], [3.5, 2.5], [2.5, 2.5]];
const far: Position[] = [[20, 0], [20, 5], [25, 5], [25, 0], [20, 0]];
const touchingHole: Position[] = [[0, 0], [5, 5], [5, 0], [0, 0]];

describe('signedArea / isClockwise', () => {
  it.each<[Position[], number, boolean]>([
    [square, -200, true],
    [[...square].reverse(), 200, false],
    [square.slice(0, 4), -200, true],
    [[[0, 0], [1, 1], [2, 2], [0, 0]], 0, false],
  ])('%j → %s', (ring, area, clockwise) => {
    expect(signedArea(ring)).toBe(area);
    expect(isClockwise(ring)).toBe(clockwise);
  });
});

describe('pointInRing', () => {
  it.each<[number, number, number]>([
    [5, 5, 1],
    [0, 5, 0],
    [10, 10, 0],
    [11, 5, -1],
    [-0.001, 0, -1],
  ])('(%s, %s) → %s', (x, y, expected) => {
    expect(pointInRing(x, y, square)).toBe(expected);
  });
});

describe('groupRings', () => {
  it.each<[string, Position[][], { exterior: Position[]; holes: Position[][] }[]]>([
    ['one ring', [square], [{ exterior: square, holes: [] }]],
    ['exterior and hole', [square, hole], [{ exterior: square, holes: [hole] }]],
    ['hole listed first', [hole, square], [{ exterior: square, holes: [hole] }]],
    ['two exteriors', [square, far], [{ exterior: square, holes: [] }, { exterior: far, holes: [] }]],
    [
      'island in a hole',
      [square, hole, island],
      [{ exterior: square, holes: [hole] }, { exterior: island, holes: [] }],
    ],
    ['hole sharing vertices with its exterior', [square, touchingHole], [{ exterior: square, holes: [touchingHole] }]],
  ])('%s', (_name, rings, expected) => {
    expect(groupRings(rings)).toEqual(expected);
  });
});
