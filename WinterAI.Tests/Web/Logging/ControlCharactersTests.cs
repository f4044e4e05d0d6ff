using WinterAI.Web.Logging;

namespace WinterAI.Tests.Web.Logging;

public sealed class ControlCharactersTests
{
    [TestCase("o-Abc_123", "o-Abc_123")]
    [TestCase("冬天怎样穿才暖和？", "冬天怎样穿才暖和？")]
    [TestCase("a\r\nb\tc", "a\\r\\nb\\tc")]
    // Named: a raw ESC in the generated test name keeps the test adapter from running the case.
    [TestCase("\u001b[31mred\u0007", "\\u001B[31mred\\u0007", TestName = "{m}(ESC and BEL)")]
    [TestCase("nul\0 del\u007f c1\u0085", "nul\\u0000 del\\u007F c1\\u0085")]
    [TestCase("line\u2028sep\u202Eevil", "line\\u2028sep\\u202Eevil")]
    public void EscapesEveryCharacterThatCouldForgeALineOrDriveATerminal(string text, string logged) =>
        ControlCharacters.Escape(text).ShouldBe(logged);

    [Test]
    public void ReturnsTextWithoutControlCharactersUnchanged()
    {
        var text = "nothing to escape";

        ControlCharacters.Escape(text).ShouldBeSameAs(text);
    }
}
