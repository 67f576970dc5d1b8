import Canvas

/// A row of values as bars an eighth of a cell high (`.:-=+*#` in ASCII), scaled to the largest
/// value or to `top`. A missing value (nothing measured) is a blank, not a zero.
public enum Sparkline {
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
