using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Channels.WeCom;
using WinterAI.Tests.Fakes;

namespace WinterAI.Tests.Channels.WeCom;

public sealed class WeComOptionsValidatorTests
{
    private static WeComOptions Complete() => new()
    {
        Token = WeComApp.Default.Token,
        CorpId = WeComApp.Default.CorpId,
        AgentId = WeComApp.Default.AgentId,
        Secret = WeComApp.Default.Secret,
        EncodingAESKey = WeComApp.Default.EncodingAesKey,
    };

    private static ValidateOptionsResult Validate(WeComOptions options) => new WeComOptionsValidator().Validate(null, options);

    [Test]
    public void AcceptsACompleteApp() => Validate(Complete()).Succeeded.ShouldBeTrue();

    [Test]
    public void LeavesTheChannelOffWithoutATokenWhateverElseIsSet()
    {
        var options = new WeComOptions { CorpId = "ww", AgentId = "not a number", EncodingAESKey = "short", ApiBaseUrl = "nonsense" };

        options.IsEnabled.ShouldBeFalse();
        Validate(options).Succeeded.ShouldBeTrue();
    }

    [TestCase("EncodingAESKey", "too-short")]
    [TestCase("EncodingAESKey", "")]
    [TestCase("EncodingAESKey", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2!")]
    [TestCase("CorpId", "")]
    [TestCase("Secret", " ")]
    [TestCase("AgentId", "")]
    [TestCase("AgentId", "app-1")]
    [TestCase("AgentId", "-5")]
    [TestCase("ApiBaseUrl", "qyapi.weixin.qq.com")]
    [TestCase("ApiBaseUrl", "ftp://qyapi.weixin.qq.com")]
    public void RefusesAnEnabledAppWithABadKeyAndNamesIt(string key, string value)
    {
        var options = Complete();
        typeof(WeComOptions).GetProperty(key)!.SetValue(options, value);

        var result = Validate(options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain($"WeCom:{key}");
    }

    [Test]
    public void GivesEachAppItsOwnAccountIdApartFromAnyOfficialAccount() =>
        Complete().AccountId.ShouldBe("wecom-ww1436e0e65a779aee-1000002");

    [TestCase("WeCom:EncodingAESKey", "too-short")]
    [TestCase("WeCom:ApiBaseUrl", "not a url")]
    [TestCase("WeCom:AgentId", "abc")]
    [TestCase("WeCom:Secret", "")]
    [TestCase("WeCom:MaxClockSkew", "3.00:00:00")]
    public async Task RefusesToStartWithAMalformedKeyAndNamesIt(string key, string value)
    {
        var configuration = WeComApp.Default.Configuration("https://qyapi.weixin.qq.com");
        configuration[key] = value;
        var failure = await WinterAIHost.StartupFailureAsync(configuration);

        failure.Message.ShouldContain(key.Split(':')[1]);
    }

    [Test]
    public async Task RefusesToStartWithAnUnknownMessageTypeAndNamesTheKey()
    {
        var configuration = WeComApp.Default.Configuration("https://qyapi.weixin.qq.com");
        configuration["WeCom:MessageType"] = "html";
        var failure = await WinterAIHost.StartupFailureAsync<InvalidOperationException>(configuration);

        failure.Message.ShouldContain("WeCom:MessageType");
    }

    [TestCase("markdown", WeComMessageType.Markdown)]
    [TestCase("Text", WeComMessageType.Text)]
    public void ReadsTheMessageTypeWhateverItsCase(string value, WeComMessageType expected)
    {
        var configuration = WeComApp.Default.Configuration("https://qyapi.weixin.qq.com");
        configuration["WeCom:MessageType"] = value;
        using var host = new WinterAIHost(configuration);

        host.Services.GetRequiredService<IOptions<WeComOptions>>().Value.MessageType.ShouldBe(expected);
    }
}
