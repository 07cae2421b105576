// The two budgets a step's calls run under — the step's own and the script's — with what each has spent, so
// every call gets the smaller remainder and a spent budget is reported as the one that ran out.

/// A step's view of its budgets while it runs.
struct BudgetWindow: Sendable {
    var step: Budget
    var stepUsage = Usage.zero
    let stepStart = ContinuousClock.now
    var script: Budget
    var scriptUsage: Usage
    let scriptStart: ContinuousClock.Instant
    let scriptName: String
    let stepName: String

    init(step: Budget, script: Budget, scriptUsage: Usage, scriptStart: ContinuousClock.Instant,
         scriptName: String, stepName: String) {
        self.step = step
        self.script = script
        self.scriptUsage = scriptUsage
        self.scriptStart = scriptStart
        self.scriptName = scriptName
        self.stepName = stepName
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Adds what a call spent to both budgets.
    mutating func charge(_ usage: Usage) {
        stepUsage = stepUsage + usage
        scriptUsage = scriptUsage + usage
    }

    /// What the next call may spend: the smaller remainder of each kind.
    var bound: Budget {
        step.remaining(after: stepUsage, elapsed: Self.seconds(since: stepStart))
            .bounded(by: script.remaining(after: scriptUsage, elapsed: Self.seconds(since: scriptStart)))
    }

    /// The budget that has run out, the step's first.
    func exhaustion() -> (scope: BudgetScope, exhaustion: BudgetExhaustion)? {
        if let e = step.exhaustion(of: stepUsage, elapsed: Self.seconds(since: stepStart)) { return (.step(stepName), e) }
        if let e = script.exhaustion(of: scriptUsage, elapsed: Self.seconds(since: scriptStart)) {
            return (.script(scriptName), e)
        }
        return nil
    }
}
