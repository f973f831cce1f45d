import Foundation

extension StudySpec {
    /// Checks that every model file, weightless graph and dataset folder the spec names exists.
    ///
    /// Loading a spec does not check this, so that specs can be validated on machines without
    /// the data. Call it before running a study to fail early.
    /// - Throws: `StudySpecError.invalidValue` naming the key, such as `models[2].file`, and the path.
    public func checkInputFiles() throws(StudySpecError) {
        let fileManager = FileManager.default
        for (index, model) in models.enumerated() {
            let (key, url): (String, URL)
            switch model.source {
            case .file(let file): (key, url) = ("models[\(index)].file", file)
            case .randomWeights(let graph, _): (key, url) = ("models[\(index)].graph", graph)
            }
            guard fileManager.fileExists(atPath: url.path) else {
                throw .invalidValue(key: key, value: "\"\(url.path)\"", reason: "file not found")
            }
        }

        if let dataset {
            var isFolder: ObjCBool = false
            guard fileManager.fileExists(atPath: dataset.path.path, isDirectory: &isFolder) else {
                throw .invalidValue(key: "dataset.path", value: "\"\(dataset.path.path)\"", reason: "not found")
            }
        }
    }
}
