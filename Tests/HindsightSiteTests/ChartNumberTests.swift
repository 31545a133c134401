import Testing

@testable import HindsightSite

@Suite("Chart numbers")
struct ChartNumberTests {
    /// Coordinates and figures are written with at most one decimal and no `.0`, so charts stay small and
    /// two builds write the same bytes.
    @Test(arguments: [
        (12.0, "12"), (12.04, "12"), (12.05, "12.1"), (2.96, "3"), (0.5, "0.5"), (-0.5, "-0.5"), (-0.04, "0"),
        (-12.34, "-12.3"), (1_234_567.89, "1234567.9"), (Double.nan, "0"),
    ])
    func oneDecimal(_ value: Double, _ written: String) {
        #expect(ChartNumber.oneDecimal(value) == written)
        #expect(SVG.n(value) == written)
    }

    @Test func plainFiguresKeepWholeNumbersWhole() {
        #expect(ChartNumber.plain(nil) == "–")
        #expect(ChartNumber.plain(42) == "42")
        #expect(ChartNumber.plain(2.25) == "2.3")
    }
}
