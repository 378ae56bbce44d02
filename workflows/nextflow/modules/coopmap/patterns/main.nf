// COOPMAP_PATTERNS: seqlets and patterns (PFM, CWM) per head and sign from a saturation table (docs/patterns.md).
// The command line follows stage "patterns" of workflows/stages.yaml (check it with
// tests/nextflow_check.py drift THIS_FILE patterns); the stage options come from task.ext.args
// (conf/modules.config).
process COOPMAP_PATTERNS {
    tag "${meta.id}"
    label 'process_medium'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(saturation), path(genome), path(genome_index)

    output:
    tuple val(meta), path("*.patterns/patterns.meme"), path("*.patterns/patterns.tsv"), emit: patterns
    tuple val(meta), path("*.patterns", type: "dir"), emit: dir
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    coopmap-patterns --genome ${genome} ${args} --threads ${task.cpus} -o ${prefix}.patterns ${saturation}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-patterns --version | sed 's/^coopmap-patterns //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    mkdir -p ${prefix}.patterns && touch ${prefix}.patterns/patterns.meme ${prefix}.patterns/patterns.tsv ${prefix}.patterns/cwm.tsv ${prefix}.patterns/seqlets.bed
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-patterns --version | sed 's/^coopmap-patterns //')
    END_VERSIONS
    """
}
