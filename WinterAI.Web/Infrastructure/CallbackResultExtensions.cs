using Microsoft.AspNetCore.Mvc;
using WinterAI.Domain.Protocol.Callbacks;

namespace WinterAI.Web.Infrastructure;

public static class CallbackResultExtensions
{
    public static ContentResult ToActionResult(this CallbackResult result) =>
        new() { StatusCode = result.StatusCode, Content = result.Body, ContentType = result.ContentType };
}
