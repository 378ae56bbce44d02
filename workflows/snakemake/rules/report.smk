# The run's report, OUT/report/index.html (+ OUT/report/figures/*.svg): every map's
# cooperativity map and the maps side by side, the strongest cells, distance profile,
# effect ranking, saturation tracks, the Tomtom heatmap and JOS bars when the run made
# them, each map's patterns (rules/patterns.smk: the patterns' Tomtom heatmap against the
# motif database, JOS bars per head, the pattern table with seqlets, share of sequences
# and best match; targets labelled with the motif files' names), and the run's
# parameters, versions and checksums from OUT/manifest.tsv
# (coopmap-stats --report; docs/workflows.md, "Report").  Written after the manifest, so
# the manifest does not list it.

# The motif databases whose names label the Tomtom heatmaps' targets: the patterns' and
# compare's targets, when those run.
REPORT_MOTIF_NAMES = sorted({path(t) for t in (
    (section("patterns").get("targets") or config["motifs"]) if DO_PATTERNS else None,
    (section("compare").get("targets") or config["motifs"]) if DO_COMPARE else None) if t})

if DO_REPORT:
    rule report:
        input:
            effects=[f"{m['dir']}/ism/effects.tsv" for m in MAPS.values()],
            sources=[f"{m['dir']}/pairs/sources.tsv" for m in MAPS.values()],
            saturation=[f"{m['dir']}/ism/saturation.tsv.gz" for m in MAPS.values()] if DO_SATURATION else [],
            matches=[f"{OUT}/compare/matches.tsv"] if DO_COMPARE else [],
            jos=[f"{OUT}/compare/family_jos.tsv"] if DO_FAMILY else [],
            patterns=[f"{m['dir']}/patterns/patterns.tsv" for m in MAPS.values()] if DO_PATTERNS else [],
            patterns_tomtom=[f"{m['dir']}/patterns/tomtom.tsv" for m in MAPS.values()] if DO_PATTERNS else [],
            patterns_jos=[f"{m['dir']}/patterns/jos.tsv" for m in MAPS.values()] if DO_PATTERNS else [],
            motif_names=REPORT_MOTIF_NAMES,
            run_info=f"{OUT}/manifest.tsv",
        output:
            directory(f"{OUT}/report"),
        params:
            cmd=lambda wildcards, input, output: render(
                "report", report=output[0], alpha=section("stats").get("alpha", 0.05),
                test=nondefault("stats", "test", "t"), correction=nondefault("stats", "correction", "bh"),
                cluster=bool(section("stats").get("cluster")),
                title=section("report").get("title", "coopmap report"),
                matches=input.matches[0] if input.matches else None,
                tomtom_thresh=(section("report").get("tomtom_thresh", 0.05)
                               if input.matches or input.patterns_tomtom else None),
                jos=input.jos[0] if input.jos else None,
                saturation=",".join(f"{n}={p}" for n, p in zip(MAPS, input.saturation)) or None,
                sources=",".join(f"{n}={p}" for n, p in zip(MAPS, input.sources)) if input.saturation else None,
                region=section("saturation").get("region") if input.saturation else None,
                patterns=",".join(f"{n}={p}" for n, p in zip(MAPS, input.patterns)) or None,
                patterns_tomtom=",".join(f"{n}={p}" for n, p in zip(MAPS, input.patterns_tomtom)) or None,
                patterns_jos=",".join(f"{n}={p}" for n, p in zip(MAPS, input.patterns_jos)) or None,
                motif_names=",".join(input.motif_names) or None,
                run_info=input.run_info,
                maps=[f"{n}={p}" for n, p in zip(MAPS, input.effects)]),
        log:
            f"{OUT}/logs/report.log",
        benchmark:
            f"{OUT}/benchmarks/report.tsv"
        threads: 1
        resources:
            mem_mb=mem_mb("report"),
            runtime=runtime("report"),
        conda:
            os.path.join(ENVS, "coopmap.yaml")
        shell:
            "{params.cmd} 2> {log}"
