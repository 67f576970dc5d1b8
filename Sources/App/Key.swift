import Experiments
import Patterns

/// A key press, decoded by the terminal layer. The app never sees escape sequences.
public enum Key: Sendable, Equatable {
    case char(Character)
    case left, right, up, down, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    case interrupt   // Ctrl-C when the terminal delivers it as a key
    /// F1…F12 (presentation clickers send F5 and Esc).
    case function(Int)
}

/// Everything that can happen to the app.
public enum Msg: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    /// Real time passed while playing, in microseconds.
    case tick(Int64)
    /// From the loop running a step's experiment block off the frame: trials done of all and
    /// seconds since it started, then its outcome. Each names its block, so a report for a step left behind is dropped.
    case experimentProgress(block: String, done: Int, total: Int, seconds: Int)
    case experimentFinished(block: String, Result<ExperimentResult, Diagnostic>)
}
