import Foundation
import Training

/// Renders `TrainingEvent`s for `factorize train` and `factorize finetune`. On a terminal a bar
/// shows epoch, loss, running accuracy, images/s and time left after every step. Otherwise each
/// epoch prints one plain line.
final class TrainingProgress {
    private let console: Console
    private let progress: ProgressLine
    private let epochs: Int
    private var lastStep: StepProgress?
    /// Exponential moving average of images per second, so one slow step does not swing the ETA.
    private var imagesPerSecond: Double?
    private let batchSize: Int

    init(console: Console, label: String, epochs: Int, batchSize: Int) {
        self.console = console
        progress = ProgressLine(console: console, label: label)
        self.epochs = epochs
        self.batchSize = batchSize
    }

    /// Handles one event and lets training proceed.
    func handle(_ event: TrainingEvent) -> TrainingControl {
        switch event {
        case .step(let step):
            lastStep = step
            imagesPerSecond = imagesPerSecond.map { 0.9 * $0 + 0.1 * step.imagesPerSecond } ?? step.imagesPerSecond
            if console.errorIsTerminal { progress.update(barText(step)) }
        case .epochEnd(let summary):
            progress.finish()
            console.log(epochLine(summary))
        case .checkpoint:
            break
        }
        return .proceed
    }

    /// Ends a bar left open by a run stopped inside an epoch.
    func finish() {
        progress.finish()
    }

    private func barText(_ step: StepProgress) -> String {
        let width = 20
        let filled = step.batch * width / max(step.batchesPerEpoch, 1)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        let rate = imagesPerSecond ?? step.imagesPerSecond
        let remaining = Double((step.totalSteps - step.step) * batchSize) / max(rate, 1e-9)
        return String(
            format: "epoch %ld/%ld [%@] %ld/%ld loss %.4f acc %.2f %% %.0f img/s ETA %@", step.epoch + 1, epochs, bar,
            step.batch, step.batchesPerEpoch, step.loss, step.trainAccuracy * 100, rate, durationText(remaining))
    }

    private func epochLine(_ summary: EpochSummary) -> String {
        var line = String(
            format: "epoch %ld/%ld: loss %.4f, train accuracy %.2f %%", summary.epoch + 1, epochs, summary.trainLoss,
            summary.trainAccuracy * 100)
        if let accuracy = summary.validationAccuracy { line += String(format: ", test accuracy %.2f %%", accuracy * 100) }
        if let rate = imagesPerSecond { line += String(format: ", %.0f images/s", rate) }
        return line
    }
}

/// "1h02m", "4m05s" or "37s".
func durationText(_ seconds: Double) -> String {
    let total = Int(seconds.rounded())
    if total >= 3600 { return String(format: "%ldh%02ldm", total / 3600, total % 3600 / 60) }
    if total >= 60 { return String(format: "%ldm%02lds", total / 60, total % 60) }
    return "\(max(total, 0))s"
}
