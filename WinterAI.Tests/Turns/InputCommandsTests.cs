using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public sealed class InputCommandsTests
{
    [TestCase("/set company 星辰 科技", "company", "星辰 科技")]
    [TestCase("/SET  level\t高级 ", "level", "高级")]
    [TestCase("/set company", "company", null)]
    [TestCase("/set", null, null)]
    public void SetTakesANameAndTheRestAsTheValue(string text, string? name, string? value) =>
        InputCommands.Parse(text.Trim()).ShouldBe(new Intent.SetInput(name, value));

    [TestCase("/unset company", "company")]
    [TestCase("/unset", null)]
    public void UnsetTakesAName(string text, string? name) => InputCommands.Parse(text).ShouldBe(new Intent.UnsetInput(name));

    [TestCase("/settings")]
    [TestCase("/unsettled times")]
    [TestCase("set company x")]
    [TestCase("what does /set do")]
    public void OtherTextIsNoCommand(string text) => InputCommands.Parse(text).ShouldBeNull();
}
