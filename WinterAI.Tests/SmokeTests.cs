namespace WinterAI.Tests;

public class SmokeTests
{
    [Test]
    public void Builds() => (1 + 1).ShouldBe(2);
}
