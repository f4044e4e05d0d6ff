using WinterAI.Domain.Turns;

namespace WinterAI.Tests.Turns;

public sealed class InputMessagesValidatorTests
{
    [Test]
    public void TheDefaultTextsAreValid() =>
        new InputMessagesValidator().Validate(null, new MessagesOptions()).Succeeded.ShouldBeTrue();

    [TestCase("「{0}」只能是 {2}")]
    [TestCase("「{0」")]
    public void ATextThatCannotBeFilledIsNamed(string text)
    {
        var result = new InputMessagesValidator().Validate(null, new MessagesOptions { InputNotOption = text });

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("Messages:InputNotOption");
    }
}
