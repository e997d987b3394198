// Loaded with `node --import` into a CLI a test starts: the child's Date starts at TAXSYNC_TEST_CLOCK and moves
// with the monotonic clock, so the CLI sees the test's day, not the calendar's. Test-only; never in the product.
const start = Date.parse(process.env.TAXSYNC_TEST_CLOCK ?? '');
if (Number.isFinite(start)) {
  const RealDate = Date;
  const t0 = performance.now();
  const now = () => start + Math.floor(performance.now() - t0);
  class TestDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() {
      return now();
    }
  }
  globalThis.Date = TestDate;
}
