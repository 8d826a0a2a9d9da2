/** A source of uniform numbers in [0, 1), injected where randomness matters (Math.random in production). */
export type Random = () => number;
