using System.Globalization;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Protocol;

namespace WinterAI.Domain.Channels.WeCom;

/// <summary>Start-up checks that name the offending key, so a typo in <c>.env</c> never becomes a silent 401 later.</summary>
public sealed class WeComOptionsValidator : IValidateOptions<WeComOptions>
{
    public ValidateOptionsResult Validate(string? name, WeComOptions options)
    {
        if (!options.IsEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.EncodingAESKey))
        {
            failures.Add("WeCom:EncodingAESKey is required when WeCom:Token is set (WeCom always encrypts its callbacks).");
        }

        SettingChecks.CheckAesKey(options.EncodingAESKey, "WeCom:EncodingAESKey", failures);
        if (string.IsNullOrWhiteSpace(options.CorpId))
        {
            failures.Add("WeCom:CorpId is required when WeCom:Token is set (the decrypted CorpID is checked against it).");
        }

        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add("WeCom:Secret is required when WeCom:Token is set (answers are sent through message/send, which needs an access token).");
        }

        if (!long.TryParse(options.AgentId, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            failures.Add("WeCom:AgentId must be the app's numeric AgentId (应用管理 → the app's page).");
        }

        if (!SettingChecks.IsHttpUrl(options.ApiBaseUrl))
        {
            failures.Add("WeCom:ApiBaseUrl must be an absolute http(s) URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
