import Testing
@testable import Datasets

@Test func datasetsModuleLoads() {
    #expect(Bool(true))
}
