import Canvas

enum TooSmallScreen {
    /// Says what is needed, in the longest form that fits: whole sentences on a roomy screen,
    /// a few words down to 20x5 (a phone's terminal, a split pane), never cut mid-word.
    static func draw(on canvas: inout Canvas, width: Int, height: Int, need size: (Int, Int) = (AppModel.minimumWidth, AppModel.minimumHeight)) {
        let need = "\(size.0)x\(size.1)", have = "\(width)x\(height)"
        let forms: [[String]] = [
            ["ClusterTutor needs a terminal of at least \(need).", "This one is \(have).", "Enlarge the window to continue, or press q to quit."],
            ["Too small: needs \(need), this is \(have).", "Enlarge it, or q quits."],
            ["Needs \(need)", "(now \(have))", "q quits"],
        ]
        let fitted = forms.lazy.map { form in form.flatMap { wrap([Span($0)], width: max(1, width)).map { $0.map(\.text).joined() } } }
        let lines = fitted.first { $0.count <= height && $0.allSatisfy { displayWidth($0) <= width } } ?? Array(fitted.last!.prefix(max(1, height)))
        let top = max(0, (height - lines.count) / 2)
        for (i, l) in lines.enumerated() {
            let text = truncate(l, to: width, ellipsis: "")
            canvas.text(text, x: max(0, (width - displayWidth(text)) / 2), y: top + i, i == 0 ? .bold : .plain)
        }
    }
}
