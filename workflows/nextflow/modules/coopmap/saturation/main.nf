// COOPMAP_SATURATION: every single-base substitution of the regions (a BED) through a map's model
// (coopmap-ism --saturation; BGZF output, one row per position, alt and head).
// The command line follows stage "saturation" of workflows/stages.yaml (check it with
// tests/nextflow_check.py drift THIS_FILE saturation); the stage has no options beyond the
// thread count, so task.ext.args (conf/modules.config) is empty.
process COOPMAP_SATURATION {
    tag "${meta.id}"
    label 'process_high'

    conda "${moduleDir}/environment.yml"
    container "${ workflow.containerEngine == 'singularity' || workflow.containerEngine == 'apptainer' ? 'coopmap.sif' : 'localhost/coopmap:0.1.0' }"

    input:
    tuple val(meta), path(model), path(genome), path(genome_index), path(regions)

    output:
    tuple val(meta), path("*.saturation.tsv.gz"), emit: saturation
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    coopmap-ism --saturation --model ${model} --genome ${genome} --regions ${regions} ${args} --threads ${task.cpus} -o ${prefix}.saturation.tsv.gz

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-ism --version | sed 's/^coopmap-ism //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo -n | gzip > ${prefix}.saturation.tsv.gz
    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        coopmap: \$(coopmap-ism --version | sed 's/^coopmap-ism //')
    END_VERSIONS
    """
}
