/** Holds the bytes the ceiling route answers: a response of Mosaic's, captured once by the benchmark. */
module.exports = () => {
  let bytes = null;
  return {
    ceiling: () => bytes,
    setCeiling(buffer) {
      bytes = buffer;
    },
  };
};
