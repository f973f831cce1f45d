import Testing

@Test func zooPlaceholder() {}
