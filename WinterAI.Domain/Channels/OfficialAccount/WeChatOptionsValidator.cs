using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol;

namespace WinterAI.Domain.Channels.OfficialAccount;

/// <summary>Start-up checks that name the offending key, so a typo in <c>.env</c> never becomes a silent 401 later.</summary>
public sealed class WeChatOptionsValidator : IValidateOptions<WeChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        var failures = new List<string>();
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        SettingChecks.CheckAesKey(options.EncodingAESKey, "WeChat:EncodingAESKey", failures);
        SettingChecks.CheckAesKey(options.PreviousEncodingAESKey, "WeChat:PreviousEncodingAESKey", failures);
        if (options.HasEncryption && string.IsNullOrWhiteSpace(options.AppId))
        {
            failures.Add("WeChat:AppId is required when WeChat:EncodingAESKey is set (the decrypted AppID is checked against it).");
        }

        CheckMode(options, failures);
        if (!SettingChecks.IsHttpUrl(options.ApiBaseUrl))
        {
            failures.Add("WeChat:ApiBaseUrl must be an absolute http(s) URL.");
        }

        if (options.CustomerServicePush && (string.IsNullOrWhiteSpace(options.AppId) || string.IsNullOrWhiteSpace(options.AppSecret)))
        {
            failures.Add("WeChat:CustomerServicePush needs WeChat:AppId and WeChat:AppSecret.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckMode(WeChatOptions options, List<string> failures)
    {
        var mode = options.Mode.Trim();
        if (mode.Length == 0)
        {
            return;
        }

        if (!mode.Equals("plain", StringComparison.OrdinalIgnoreCase) && !mode.Equals("encrypted", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("WeChat:Mode must be 'plain' or 'encrypted' (WeChat's compatible and safe modes are both 'encrypted'), or empty for the default.");
        }
        else if (mode.Equals("encrypted", StringComparison.OrdinalIgnoreCase) && !options.HasEncryption)
        {
            failures.Add("WeChat:Mode is 'encrypted' but WeChat:EncodingAESKey is empty.");
        }
    }
}
