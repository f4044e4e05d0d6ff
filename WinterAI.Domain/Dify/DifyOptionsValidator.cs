using Microsoft.Extensions.Options;

namespace WinterAI.Domain.Dify;

/// <summary>
/// What data annotations cannot say: <c>[Url]</c> accepts ftp and is satisfied by prefixes alone, and its
/// message does not name the configuration key an operator has to fix; and every <c>Dify:Inputs:{variable}</c> must
/// name a source.
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

        var badInputs = options.Inputs
            .Where(input => input.Key.Trim().Length == 0 || DifyInputSource.Parse(input.Value) is null)
            .Select(input => $"{DifyOptions.Section}:Inputs:{input.Key} is \"{input.Value}\"; it must be one of {string.Join(", ", DifyInputSource.Names.Keys)}, or =text for a fixed value.")
            .ToList();
        return badInputs.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(badInputs);
    }
}
