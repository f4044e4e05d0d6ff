using Microsoft.Extensions.Options;
using WinterAI.Domain.Channels.OfficialAccount;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.OfficialAccount;

/// <summary><c>WeChat:Mode</c>: its default follows the AES key, and a mode that cannot work stops start-up naming the key.</summary>
public sealed class WeChatCallbackModeTests
{
    private static WeChatOptions Account(string aesKey, string mode) => new()
    {
        Token = WeChatAccount.Default.Token,
        AppId = WeChatAccount.Default.AppId,
        EncodingAESKey = aesKey,
        Mode = mode,
    };

    private static ValidateOptionsResult Validate(WeChatOptions options) => new WeChatOptionsValidator().Validate(null, options);

    [TestCase(true, "", WeChatCallbackMode.Encrypted)]
    [TestCase(false, "", WeChatCallbackMode.Plain)]
    [TestCase(true, "plain", WeChatCallbackMode.Plain)]
    [TestCase(true, "Encrypted", WeChatCallbackMode.Encrypted)]
    [TestCase(false, " plain ", WeChatCallbackMode.Plain)]
    public void TheModeDefaultsToEncryptedExactlyWhenAnAesKeyIsSet(bool withKey, string mode, WeChatCallbackMode expected)
    {
        var options = Account(withKey ? WeChatAccount.Default.EncodingAesKey : "", mode);

        Validate(options).Succeeded.ShouldBeTrue();
        options.CallbackMode.ShouldBe(expected);
    }

    [Test]
    public void AnEncryptedModeWithoutAnAesKeyNamesBothKeys() =>
        Validate(Account("", "encrypted")).FailureMessage.ShouldBe("WeChat:Mode is 'encrypted' but WeChat:EncodingAESKey is empty.");

    [TestCase("safe")]
    [TestCase("compatible")]
    [TestCase("1")]
    public void AModeThatIsNeitherPlainNorEncryptedNamesTheKey(string mode) =>
        Validate(Account(WeChatAccount.Default.EncodingAesKey, mode)).FailureMessage.ShouldBe(
            "WeChat:Mode must be 'plain' or 'encrypted' (WeChat's compatible and safe modes are both 'encrypted'), or empty for the default.");

    [Test]
    public async Task StartUpStopsOnABadModeAndNamesTheKey()
    {
        var configuration = new Dictionary<string, string?>(WeChatAccount.Default.Configuration()) { ["WeChat:Mode"] = "safe" };

        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain("WeChat:Mode");
    }
}
