namespace WinterAI.Domain.Dify.Wire;

/// <summary>Dify's error shape, both as an HTTP error body and inside an <c>error</c> stream event.</summary>
internal sealed record DifyErrorBody(string? Code, string? Message, int? Status);
