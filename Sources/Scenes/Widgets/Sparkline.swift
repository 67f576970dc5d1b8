import Canvas

/// A row of values as bars an eighth of a cell high (`.:-=+*#` in ASCII), scaled to the largest
/// value or to `top`. A missing value (nothing measured) is a blank, not a zero.
public enum Sparkline {
    /// The same, `height` rows tall: each value a column of full cells topped by a partial one.
    public static func drawTall(_ values: [Double?], top: Double? = nil, x: Int, y: Int, width: Int, height: Int,
                                on canvas: inout Canvas, glyphs g: GlyphSet, _ style: Style = .plain) {
        guard width > 0, height > 0 else { return }
        let shown = values.suffix(width)
        let peak = top ?? shown.compactMap { $0 }.max() ?? 0
        let levels: [Character] = g == .ascii ? [".", ":", "-", "=", "+", "*", "#", "#"] : ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for (k, v) in shown.enumerated() {
            guard let v, peak > 0 else { continue }
            // Eighths of a cell, over the whole height.
            let eighths = min(height * 8, max(1, Int((v / peak * Double(height * 8)).rounded())))
            for row in 0..<height {
                let filled = eighths - row * 8
                guard filled > 0 else { break }
                canvas.put(filled >= 8 ? levels[7] : levels[filled - 1], x: x + k, y: y + height - 1 - row, style)
            }
        }
    }

    public static func draw(_ values: [Double?], top: Double? = nil, x: Int, y: Int, width: Int,
                            on canvas: inout Canvas, glyphs g: GlyphSet, _ style: Style = .plain) {
        guard width > 0 else { return }
        let shown = values.suffix(width)
        let peak = top ?? shown.compactMap { $0 }.max() ?? 0
        let levels: [Character] = g == .ascii ? [".", ":", "-", "=", "+", "*", "#", "#"] : ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        for (k, v) in shown.enumerated() {
            guard let v else { canvas.put(" ", x: x + k, y: y); continue }
            let level = peak <= 0 ? 0 : min(levels.count - 1, Int((v / peak * Double(levels.count - 1)).rounded()))
            canvas.put(levels[level], x: x + k, y: y, style)
        }
    }
}
