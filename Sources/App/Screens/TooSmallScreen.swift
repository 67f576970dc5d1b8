import Canvas

enum TooSmallScreen {
    static func draw(on canvas: inout Canvas, width: Int, height: Int) {
        let lines = [
            "ClusterTutor needs a terminal of at least \(AppModel.minimumWidth)x\(AppModel.minimumHeight).",
            "This one is \(width)x\(height).",
            "Enlarge the window to continue, or press q to quit.",
        ]
        let top = max(0, height / 2 - lines.count / 2)
        for (i, l) in lines.enumerated() {
            let text = truncate(l, to: width, ellipsis: "")
            canvas.text(text, x: max(0, (width - displayWidth(text)) / 2), y: top + i, i == 0 ? .bold : .plain)
        }
    }
}
