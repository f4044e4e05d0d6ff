namespace WinterAI.Web.Admin;

/// <param name="LimitPerMinute">0 = unlimited.</param>
public sealed record QuotaUse(long ThisMinute, int LimitPerMinute, long Today, int LimitPerDay);
