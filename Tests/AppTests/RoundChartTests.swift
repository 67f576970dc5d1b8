import Testing
import Canvas
@testable import Scenes

/// The gossip pattern's chart of informed nodes per round.
@Suite struct RoundChartTests {
    /// The numbers under the axis stay inside the chart and apart, however many digits the
    /// rounds have: four-digit rounds every fifth column once ran over the box's border.
    @Test(arguments: [12, 140, 1_234, 23_456])
    func roundNumbersFitAndDoNotTouch(rounds: Int) {
        var canvas = Canvas(width: 44, height: 10)
        let counts = (0..<rounds).map { min(100, $0) }
        RoundChart.draw(counts: counts, total: 100, mark: nil, title: "informed", in: Rect(x: 0, y: 0, width: 43, height: 9),
                        on: &canvas, glyphs: .ascii)
        let row = Array(canvas.text.split(separator: "\n", omittingEmptySubsequences: false)[8])
        #expect(row.count <= 43 || row[43] == " ", "a number ran past the chart: \(String(row))")
        // Every number is whole and followed by a space (or the chart's end).
        let numbers = String(row.dropFirst(6)).split(separator: " ")
        #expect(!numbers.isEmpty)
        let values = numbers.compactMap { Int($0) }
        #expect(values.count == numbers.count, "\(numbers)")
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 }, "\(values)")
        #expect(values.last! < rounds && values.last! > rounds - 44, "\(values)")
    }

    @Test func theStrideGrowsWithTheDigits() {
        #expect(RoundChart.labelStride(widest: 2, scale: 3) == 5)
        #expect(RoundChart.labelStride(widest: 4, scale: 1) == 5)
        #expect(RoundChart.labelStride(widest: 5, scale: 1) == 10)
        #expect(RoundChart.labelStride(widest: 12, scale: 1) == 20)
        #expect(RoundChart.labelStride(widest: 25, scale: 1) == 50)
    }
}
