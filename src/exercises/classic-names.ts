// The classic 2-2-2 example's names as the lecture writes them (i1, h1, o1; w1 … w8; b1, b2), in one
// place: the declared classic assignment and the notebooks' worked numbers both use them. No Node
// import here: the notebooks' exercises also run in the browser site's engine bundle.
export const CLASSIC_NAMES = {
  units: [
    ["i1", "i2"],
    ["h1", "h2"],
    ["o1", "o2"],
  ],
  weights: [
    [
      ["w1", "w2"],
      ["w3", "w4"],
    ],
    [
      ["w5", "w6"],
      ["w7", "w8"],
    ],
  ],
  biases: ["b1", "b2"],
};
