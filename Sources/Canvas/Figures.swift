/// A measured number in about three significant figures, as the screen and the reports show
/// them: `384`, `38.4`, `3.84`, `0.145`; `-` for no number.
public func threeFigures(_ v: Double) -> String {
    guard v.isFinite else { return "-" }
    let a = abs(v), sign = v < 0 ? "-" : ""
    if a >= 99.95 { return sign + String(Int(a.rounded())) }
    let decimals = a >= 9.995 ? 1 : a >= 0.9995 ? 2 : 3
    let scale = [1, 10, 100, 1_000][decimals]
    let t = Int((a * Double(scale)).rounded())
    let fraction = String(t % scale)
    return sign + "\(t / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
