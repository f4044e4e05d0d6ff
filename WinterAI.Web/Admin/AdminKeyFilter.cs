using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace WinterAI.Web.Admin;

/// <summary>
/// Admits a request only with the configured <c>X-Admin-Key</c>, compared in constant time. Without a configured
/// key the admin API is closed, never open by default.
/// </summary>
public sealed class AdminKeyFilter(IOptionsMonitor<AdminOptions> options, ILogger<AdminKeyFilter> log) : IAuthorizationFilter
{
    public const string Header = "X-Admin-Key";

    public void OnAuthorization(AuthorizationFilterContext context)
    {
        var configured = options.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(configured))
        {
            context.Result = Refuse(context, "The admin API is disabled: set Admin:ApiKey to enable it.");
            return;
        }

        var presented = context.HttpContext.Request.Headers[Header].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Hash(presented), Hash(configured)))
        {
            log.LogWarning("Refused an admin call with a missing or wrong {Header}.", Header);
            context.Result = Refuse(context, $"Missing or wrong {Header} header.");
        }
    }

    // Hashing first makes the comparison constant-time in the key's length too.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    private static ObjectResult Refuse(AuthorizationFilterContext context, string detail) =>
        new(new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = detail, Instance = context.HttpContext.Request.Path })
        {
            StatusCode = StatusCodes.Status401Unauthorized,
            ContentTypes = { "application/problem+json" },
        };
}
