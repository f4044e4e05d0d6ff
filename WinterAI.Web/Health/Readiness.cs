namespace WinterAI.Web.Health;

/// <summary>What /readyz reports. Never contains a secret: only kinds, endpoints and states.</summary>
public sealed record Readiness(bool Ready, string Store, string StoreStatus, string Dify);
