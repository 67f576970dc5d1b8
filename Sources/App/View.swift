import Canvas

extension AppModel {
    /// The whole screen for the current state. Pure: the same model always draws the same canvas.
    public func view() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        if isTooSmall {
            if presenter != nil {
                TooSmallScreen.draw(on: &canvas, width: width, height: height, need: (PresenterScreen.minimumWidth, PresenterScreen.minimumHeight))
            } else {
                TooSmallScreen.draw(on: &canvas, width: width, height: height)
            }
            return canvas
        }
        switch screen {
        case .menu(let m): MenuScreen.draw(m, positions: positions, on: &canvas, glyphs: glyphs)
        case .player(let p): PlayerScreen.draw(p, on: &canvas, glyphs: glyphs)
        case .quiz(let q): QuizScreen.draw(q, on: &canvas, glyphs: glyphs)
        case .presenter(let s): PresenterScreen.draw(s, on: &canvas, glyphs: glyphs)
        }
        if let p = player, let q = p.quiz, q.index < p.session.quizzes.count {
            let (area, hint) = PlayerScreen.questionArea(p, canvas.bounds, glyphs: glyphs)
            LessonQuizOverlay.draw(q, p.session.quizzes[q.index], count: p.session.quizzes.count,
                                   in: area, hint: hint, on: &canvas, glyphs: glyphs)
        }
        if showHelp { HelpOverlay.draw(player: player ?? presenter?.player, presenting: presenter != nil, on: &canvas, glyphs: glyphs) }
        if glyphs == .ascii { canvas.foldToASCII() }
        return canvas
    }
}
