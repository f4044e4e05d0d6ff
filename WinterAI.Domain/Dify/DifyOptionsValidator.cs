using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Dify;

/// <summary>
/// What data annotations cannot say: <c>[Url]</c> accepts ftp and is satisfied by prefixes alone, and its
/// message does not name the configuration key an operator has to fix.
/// </summary>
internal sealed class DifyOptionsValidator : IValidateOptions<DifyOptions>
{
    public ValidateOptionsResult Validate(string? name, DifyOptions options)
    {
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            return ValidateOptionsResult.Fail(
                $"{DifyOptions.Section}:BaseUrl must be an absolute http(s) URL such as https://api.dify.ai/v1.");
        }

        var appType = options.AppType.Trim();
        if (appType.Length > 0 && !appType.Equals(DifyAppTypes.Auto, StringComparison.OrdinalIgnoreCase) && !DifyAppTypes.ByName.ContainsKey(appType))
        {
            return ValidateOptionsResult.Fail(
                $"{DifyOptions.Section}:AppType must be auto, {string.Join(", ", DifyAppTypes.ByName.Keys)}; '{appType}' is none of them.");
        }

        if (string.IsNullOrWhiteSpace(options.WorkflowQueryInput) || string.IsNullOrWhiteSpace(options.WorkflowAnswerOutput))
        {
            return ValidateOptionsResult.Fail(
                $"{DifyOptions.Section}:WorkflowQueryInput and {DifyOptions.Section}:WorkflowAnswerOutput name Dify variables and cannot be empty.");
        }

        return ValidateOptionsResult.Success;
    }
}
