// A tiny module to look at while QLP starts up.
function greet(name) {
  return `Hello, ${name}!`;
}

module.exports = { greet };
