import Canvas
import Experiments
import Lessons
import Simulation

public struct MenuEntry: Sendable {
    public var document: LessonDocument
    public init(_ document: LessonDocument) { self.document = document }
}

public struct MenuState: Sendable {
    public var entries: [MenuEntry]
    public var selected = 0
    public var message: String?
    public init(entries: [MenuEntry]) { self.entries = entries }
}

public struct PlayerState: Sendable {
    public var session: any Playable
    public var playing = false
    /// Once a step's script is done, playing lets the cluster run on by itself.
    public var freeRun = false
    /// Running the rest of the current step as fast as it goes (→ pressed mid-step), a bounded
    /// slice a frame, so the keyboard and signals are still read.
    public var skipping = false
    public var speed = Speed.defaultLevel
    /// Simulated per real time in the last frame, as pacing chose it (the status line shows it).
    public var effectiveRate: Double?
    /// Exchanges of messages seen in this step so far: the first few are shown slowly, later
    /// ones (the fifth round of the same split vote) faster and faster.
    var exchanges = 0
    var quietStretches = 0
    var wireWasBusy = false
    /// The quiet stretch being passed: when it ends and how long it was when it began.
    var quietPlan: (until: SimTime, length: SimTime)?
    public var selected: NodeID?
    public var status: String?
    /// The status as the last frame saw it, and for how long it has stood (real µs): a key's
    /// answer stands two seconds before the busy-cluster notice may replace it.
    var statusSeen: String?
    var statusAge: Int64 = 0
    public var scroll = 0
    public var sandbox: Bool
    public var fromMenu: Bool
    /// A lesson question on screen (modal), if any.
    public var quiz: LessonQuizState?
    /// `l`: the event log shows every line (the lesson's checks too) and ↑/↓ scroll it.
    public var logFocus = false
    public var logScroll = 0
    /// The step the student left this lesson at last time, offered until they press a key.
    public var resumeAt: Int?
    /// An interaction between two nodes waiting for its second node (the key that started it).
    public var awaitingTarget: Character?
    /// The step number being typed after `g` (go to step), while it is typed.
    public var goTo: String?
    /// The step's experiment, run when the step is entered, and whether it is shown in the
    /// scene's place (P switches between the two).
    public var experiment: ExperimentResult?
    public var showingExperiment = false
    /// Why the step's experiment block cannot run (then shown in the plot's place).
    public var experimentProblem: String?
    /// Where the step's experiment runs: here, before the step opens (headless), or off the
    /// frame while the step plays (the interactive player).
    public var experimentMode: ExperimentRunMode
    /// The block running off the frame, its trials done of all and the seconds it has taken,
    /// until its outcome arrives.
    public var pendingExperiment: String?
    public var experimentProgress: (done: Int, total: Int, seconds: Int)?
    /// Blocks this player has run, by their line, with their trials: a step returned to (a
    /// teacher going back a step) shows them at once instead of running them again. A block
    /// always gives the same trials, so nothing is lost. The last few only.
    var experimentsRun: [(line: String, result: ExperimentResult)] = []
    static let experimentsKept = 8
    /// The step has an experiment to show: its trials, why it cannot run, or its progress.
    public var hasExperiment: Bool { experiment != nil || experimentProblem != nil || pendingExperiment != nil }

    public init(session: any Playable, sandbox: Bool = false, fromMenu: Bool = false, experiments: ExperimentRunMode = .inline) {
        self.session = session; self.sandbox = sandbox; self.fromMenu = fromMenu; self.experimentMode = experiments
        loadExperiment()
    }
}

/// The whole state of the app. `update` changes it; `view` draws it; nothing else does either.
public struct AppModel: Sendable {
    public enum Screen: Sendable { case menu(MenuState), player(PlayerState), quiz(QuizState), presenter(PresenterState) }

    public var screen: Screen
    public var width: Int
    public var height: Int
    public var glyphs: GlyphSet
    public var showHelp = false
    public var quit = false
    /// Quit by Ctrl-C: the program then exits with 130, as an interrupted command does, so a
    /// script presenting lesson after lesson stops instead of going on to the next.
    public var interrupted = false
    /// Requests for the outside world, drained by the interactive loop after each update.
    public var effects: [AppEffect] = []
    /// Where the student left each lesson (by name), as the positions file had it.
    public var positions: [String: Int] = [:]
    var menu: MenuState?
    /// Where the experiments of lessons opened from the menu run (see `ExperimentRunMode`).
    public var experimentMode = ExperimentRunMode.inline
    /// Whether the last tick played: the first tick after a pause plays no time.
    var ticking = false

    /// The presenter's smallest screen (a projector with a big font).
    public static let presenterMinimum = (width: PresenterScreen.minimumWidth, height: PresenterScreen.minimumHeight)
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// `menu`: where `m` goes from a lesson opened directly (`play`); a lesson opened from the
    /// menu returns to it as it was left.
    public init(screen: Screen, width: Int, height: Int, glyphs: GlyphSet, menu: MenuState? = nil) {
        self.screen = screen; self.width = width; self.height = height; self.glyphs = glyphs
        self.menu = menu
        if case .menu(let m) = screen { self.menu = m }
    }

    /// A projector with a big font leaves about 60x18: the presenter works down to it.
    public var isTooSmall: Bool {
        if case .presenter = screen { return width < PresenterScreen.minimumWidth || height < PresenterScreen.minimumHeight }
        return width < Self.minimumWidth || height < Self.minimumHeight
    }

    /// Whether the app needs ticks; when false the terminal may block on input (no CPU used).
    public var wantsTicks: Bool {
        if case .player(let p) = screen { return p.playing && p.quiz == nil && !showHelp && !isTooSmall }
        if case .presenter(let s) = screen { return s.wantsTicks && !showHelp && !isTooSmall }
        return false
    }

    public var player: PlayerState? {
        if case .player(let p) = screen { return p }
        return nil
    }

    public var presenter: PresenterState? {
        if case .presenter(let s) = screen { return s }
        return nil
    }
}
