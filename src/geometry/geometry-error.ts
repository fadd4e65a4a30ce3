/**
 * A geometry or spatial reference the client sent cannot be used. The message is safe to show to
 * the client; routes map it to a 400 (`ApiError.invalidParameter(err.message)`).
 *
 * @example throw new GeometryError('Invalid geometry: polygon ring has fewer than 4 points');
 */
export class GeometryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeometryError';
  }
}
