import { describe, expect, it } from 'vitest';
import { toSafeFileName } from './safe-file-name.js';

describe('toSafeFileName', () => {
  it.each([
    ['plain name', 'ortho.tif', 'ortho.tif'],
    ['spaces kept, runs collapsed', 'my   file .zip', 'my file .zip'],
    ['parent traversal', '../../etc/passwd', 'passwd'],
    ['windows traversal', '..\\..\\windows\\win.ini', 'win.ini'],
    ['absolute unix path', '/etc/shadow', 'shadow'],
    ['absolute windows path', 'C:\\Users\\x\\scan.tif', 'scan.tif'],
    ['only dots', '..', 'data'],
    ['single dot', '.', 'data'],
    ['trailing slash', 'folder/', 'data'],
    ['empty', '', 'data'],
    ['hidden file', '.bashrc', 'bashrc'],
    ['NUL byte', 'a\u0000b.txt', 'ab.txt'],
    ['control characters', 'a\nb\rc\td.txt', 'abcd.txt'],
    ['windows reserved characters', 'a<b>c:d"e|f?g*h.txt', 'abcdefgh.txt'],
    ['trailing dots and spaces', 'name. . ', 'name'],
    ['unicode kept', 'Zürich Ortho 日本.tif', 'Zürich Ortho 日本.tif'],
  ])('%s', (_label, input, expected) => {
    expect(toSafeFileName(input)).toBe(expected);
  });

  it('cuts very long names to 200 bytes and keeps the extension', () => {
    const out = toSafeFileName(`${'a'.repeat(5000)}.tif`);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
    expect(out.endsWith('.tif')).toBe(true);
  });

  it('never splits a multi-byte character', () => {
    const out = toSafeFileName(`${'日'.repeat(300)}.tif`);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
    expect(out).toMatch(/^日+\.tif$/);
  });

  it('uses the given fallback', () => {
    expect(toSafeFileName('../', 'upload.bin')).toBe('upload.bin');
  });
});
