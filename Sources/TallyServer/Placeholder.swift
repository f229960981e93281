// Placeholder; replaced by the TallyServer sources.
