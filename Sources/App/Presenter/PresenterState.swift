import Canvas
import Lessons
import Scenes
import Simulation

/// Presenting a lesson to a room: the player's lesson run, driven by the keys a presentation
/// clicker sends, with the screen blanked on request and each question put to the class.
public struct PresenterState: Sendable {
    public var player: PlayerState
    public var blanked = false
    public var question: ClassQuestion?
    /// The step's first question, asked on the next click: the room reads the step's narration
    /// (the setup a Predict step gives) before the question takes the band's place.
    public var pendingQuestion: ClassQuestion?
    /// Real time since the presentation began, in microseconds (for the speaker's notes).
    public var elapsed: Int64 = 0
    /// A short line for the teacher (a typed step number, "no more steps"); the class sees it
    /// only briefly, at the foot of the screen.
    public var status: String?
    /// Lines the narration band is scrolled (↑/↓).
    public var scroll = 0
    /// Whether the last key worked the scene (`[`, `]`, Tab on a diagram): then Enter is the
    /// scene's too (clocks pins the selected event, as its lessons say) instead of a click.
    var workingScene = false
    /// The screen the presenter is drawn on (set by the app before each key): a click first
    /// pages through narration the band cannot hold, since a clicker has no ↓.
    var screen: (width: Int, height: Int, glyphs: GlyphSet)?

    public init(player: PlayerState) {
        self.player = player
        takeQuestion()
    }

    /// The player opens a step's questions for one student; here they go to the class.
    /// With narration to read first, the question waits for the next click (a step of only a
    /// question asks at once).
    mutating func takeQuestion() {
        pendingQuestion = nil
        guard let q = player.quiz, q.index < player.session.quizzes.count else { return }
        player.quiz = nil
        player.playing = false
        let asked = ClassQuestion(index: q.index, choices: player.session.quizzes[q.index].choices.count)
        if hasNarration { pendingQuestion = asked } else { question = asked }
    }

    /// Whether the step has narration to read before its question.
    var hasNarration: Bool { player.session.narration.contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty } }

    /// A click: reveal the answer, close the question, finish the step's animation, or go on.
    mutating func advance() {
        if blanked { blanked = false; return }
        if let q = pendingQuestion { pendingQuestion = nil; question = q; scroll = 0; return }
        if var q = question {
            if !q.revealed { q.revealed = true; q.scroll = 0; question = q; return }
            question = nil
            if q.index + 1 < player.session.quizzes.count {
                question = ClassQuestion(index: q.index + 1, choices: player.session.quizzes[q.index + 1].choices.count)
            } else {
                player.playing = !player.session.scriptDone
            }
            return
        }
        player.nextStep()
        takeQuestion()
        if player.status == "this is the last step" { status = "the end of the lesson" }
    }

    /// Scrolls the band by a page when the step stands still and its narration runs past the
    /// band; false when there is nothing more to read (the click goes on as usual).
    mutating func pageNarration() -> Bool {
        // (Before a pending question too: its narration is what the room reads first.)
        guard question == nil, player.selected == nil, !player.playing, player.goTo == nil,
              let v = screen else { return false }
        let page = PresenterScreen.narrationPage(self, width: v.width, height: v.height, glyphs: v.glyphs)
        guard page.rows > 0, page.lines - scroll > page.rows else { return false }
        scroll += max(1, page.rows - 1)
        return true
    }

    mutating func back() {
        if blanked { blanked = false; return }
        if var q = question, q.revealed { q.revealed = false; q.scroll = 0; question = q; return }
        // An open first question goes back to the narration it followed.
        if let q = question, !q.revealed, q.index == 0, hasNarration {
            question = nil; pendingQuestion = q; return
        }
        question = nil
        pendingQuestion = nil
        player.previousStep()
    }

    mutating func handle(_ key: Key) {
        status = nil
        if player.goTo != nil {
            player.handleGoTo(key)
            if player.goTo == nil { takeQuestion(); status = player.status }
            return
        }
        // A blank screen takes nothing but what brings it back: no hand is counted unseen.
        if blanked {
            if [.pageDown, .right, .char(" "), .char("n"), .enter, .pageUp, .left, .char("b"), .char("."), .char("B"), .function(5), .escape].contains(key) { blanked = false }
            return
        }
        // With a node shown in full in the question's place, ↓ and ↑ scroll that, not the question.
        let scrollsDetails = player.selected != nil && (key == .down || key == .up)
        if !scrollsDetails, var q = question, q.index < player.session.quizzes.count, q.handle(key, player.session.quizzes[q.index]) {
            question = q
            return
        }
        let sceneWasWorked = workingScene
        workingScene = false
        // Once: the Enter after that is a click again (it kept toggling the pin, and a clicker
        // that sends Enter was stuck on the step).
        if key == .enter, sceneWasWorked, let s = player.session.sceneKey(.enter) {
            status = s; return
        }
        switch key {
        case .pageDown, .right, .char(" "), .char("n"), .enter:
            if !pageNarration() { advance(); scroll = 0 }
        case .pageUp, .left, .char("p"): back(); scroll = 0
        case .down: scroll += 1
        case .up: scroll = max(0, scroll - 1)
        case .char("b"), .char("."), .char("B"), .function(5): blanked.toggle()
        case .escape:
            // A highlight first, then the scene's own selection (an event picked on a diagram).
            if player.selected != nil { player.selected = nil; scroll = 0 }
            else if let s = player.session.sceneKey(.escape) { status = s }
        case .char("g"):
            player.playing = false
            player.goTo = ""
            status = "go to step: type its number and Enter"
        // The band shows the highlighted node in full, from its top.
        case .char("0"): player.selected = nil; scroll = 0
        case .char(let c) where c.isASCII && c.isNumber:
            let n = Int(String(c))! - 1
            if n < player.session.nodeCount { player.selected = player.selected == n ? nil : n; scroll = 0 }
        case .char("P"):
            if player.hasExperiment { player.showingExperiment.toggle() }
        case .char("R"):
            question = nil
            player.restartStep()
            takeQuestion()
        default:
            // The scene's own keys ([ and ] on a diagram, o on sagas) work as in the player.
            if let sk = SceneKey(key), let s = player.session.sceneKey(sk) { status = s; workingScene = true }
        }
    }

    mutating func tick(_ micros: Int64) {
        elapsed += micros
        if var q = question { q.tick(micros); question = q; return }
        guard !blanked, player.playing else { return }
        player.tick(realMicros: micros)
    }

    /// Whether time matters now: the step is playing or a countdown runs.
    var wantsTicks: Bool {
        if let q = question { return q.countdown.map { $0 > 0 } ?? false && !q.revealed }
        return player.playing && !blanked
    }
}
